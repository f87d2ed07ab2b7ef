"""The client against a live server (conftest.py): submit, wait, the downloads as arrays, predictions, errors, and
a wait that survives kill -9 of the server."""
from __future__ import annotations

import csv
import io
import json
import threading
import time
from typing import Any, Dict, List

import numpy as np
import pytest

from pinn_client import Client, Job, PINNError, Solution, Study


def tiny_burgers(iterations: int = 150, *, log_every: int = 10) -> Dict[str, Any]:
    """A Burgers job of a second or so: a 2×8 N-LAAF network, few points, Adam then L-BFGS."""
    return {"problem": "burgers",
            "network": {"layers": [8, 8], "adaptive": "neuron", "scale": 5},
            "training": {"collocationPoints": 200, "boundaryPoints": 40, "threads": 1, "logEvery": log_every,
                         "evaluateEvery": 50, "resampling": None,
                         "phases": [{"optimizer": "adam", "iterations": iterations, "learningRate": 0.005},
                                    {"optimizer": "lbfgs", "iterations": 30, "trainSlopes": False}]},
            "output": {"grid": {"x": 17, "t": 6}}}


@pytest.fixture(scope="module")
def finished(server: Any) -> Job:
    """One finished tiny Burgers job that several read-only tests share."""
    job = Client(server.url).submit(tiny_burgers())
    job.wait(progress=False)
    return job


def test_submit_then_wait_ends_succeeded_with_every_record(client: Client) -> None:
    job = client.submit(tiny_burgers())
    assert job.document["status"] in ("queued", "running")
    seen: List[str] = []
    final = job.wait(progress=True, on_event=lambda event: seen.append(event.name))
    assert final["status"] == "succeeded" and job.status() == "succeeded"
    assert seen[-1] == "end" and "status" in seen
    losses = job.losses()
    # The events carried every loss record the store holds, once each.
    assert seen.count("loss") == len(losses) > 0


def test_solution_equals_the_csv_download(finished: Job) -> None:
    solution = finished.solution(as_xarray=False)
    assert isinstance(solution, Solution) and solution.axes == ["t", "x"]
    assert solution["u"].shape == (6, 17) and solution.exact["u"].shape == (6, 17)
    rows = list(csv.DictReader(io.StringIO(finished.solution_csv())))
    assert len(rows) == 6 * 17
    t, x = (np.array([float(r[name]) for r in rows]) for name in ("t", "x"))
    grid = solution.points()
    np.testing.assert_array_equal(t, grid["t"].ravel())
    np.testing.assert_array_equal(x, grid["x"].ravel())
    for column, values in (("u", solution["u"]), ("exact_u", solution.exact["u"]), ("error_u", solution.error["u"])):
        np.testing.assert_array_equal(np.array([float(r[column]) for r in rows]), values.ravel())
    error = np.linalg.norm(solution.error["u"]) / np.linalg.norm(solution.exact["u"])
    assert solution.relative_l2 == pytest.approx(error, rel=1e-9)


def test_solution_is_a_data_array_with_its_axes(finished: Job) -> None:
    xarray = pytest.importorskip("xarray")
    array = finished.solution(nx=9, nt=4)
    assert isinstance(array, xarray.DataArray) and array.dims == ("t", "x") and array.shape == (4, 9)
    assert float(array.x[0]) == -1.0 and float(array.x[-1]) == 1.0 and float(array.t[-1]) == 1.0
    np.testing.assert_array_equal(array.values - array.exact.values, array.error.values)


def test_predict_equals_the_grid_values(finished: Job) -> None:
    solution = finished.solution(as_xarray=False)
    grid = solution.points()
    prediction = finished.predict(x=grid["x"], t=grid["t"], derivatives=["u_x", "u_t"], residuals=True)
    assert prediction["u"].shape == grid["x"].shape and set(prediction) == {"u", "u_x", "u_t"}
    np.testing.assert_allclose(prediction["u"], solution["u"], rtol=0, atol=1e-12)
    assert prediction.final and prediction.residuals["pde"].shape == grid["x"].shape
    # The model evaluated with numpy alone agrees as well.
    model = finished.model()
    np.testing.assert_allclose(model(x=grid["x"], t=grid["t"])["u"], solution["u"], rtol=0, atol=1e-12)
    # A scalar broadcast against an array.
    line = finished.predict(x=np.linspace(-1, 1, 5), t=0.5)
    assert line["u"].shape == (5,)


def test_the_model_with_input_features_equals_predict(client: Client) -> None:
    """Periodic and Fourier features (docs/job-spec.md): the numpy model reproduces the server, derivatives included
    on the server's side (a third-order one, through the features)."""
    spec = {"problem": {"inputs": ["x", "t"], "domain": {"x": [0, 2], "t": [0, 1]}, "outputs": ["u"],
                        "equations": ["u_t + u_x - 0.05*u_xx"],
                        "conditions": [{"on": "t = 0", "u": "sin(pi*x)"}, {"periodic": "x"}]},
            "network": {"layers": [8, 8], "fourier": {"features": 4, "scale": 1.5}},
            "training": {"collocationPoints": 100, "boundaryPoints": 20, "threads": 1, "resampling": None,
                         "phases": [{"optimizer": "adam", "iterations": 20}]},
            "output": {"grid": {"x": 9, "t": 5}}}
    job = client.submit(spec)
    job.wait(progress=False)
    model = job.model()
    assert model.document["features"]["periods"] == [2.0, None]
    assert np.asarray(model.document["features"]["fourier"]).shape == (4, 3)
    x, t = np.linspace(0, 2, 13), np.linspace(0, 1, 13)
    prediction = job.predict(x=x, t=t, derivatives=["u_xxx"])
    np.testing.assert_allclose(model(x=x, t=t)["u"], prediction["u"], rtol=0, atol=1e-12)
    # Exactly periodic in x: values and the third derivative agree across the period.
    shifted = job.predict(x=x + 2, t=t, derivatives=["u_xxx"])
    np.testing.assert_allclose(shifted["u"], prediction["u"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(shifted["u_xxx"], prediction["u_xxx"], rtol=0, atol=1e-9)


def test_a_time_marched_model_equals_predict_and_the_grid(client: Client) -> None:
    """training.timeWindows (docs/job-spec.md, "Time-marching"): one network per window; the numpy model picks each
    point's window as the server does (a seam belongs to the later window) and reproduces predict and the grid."""
    spec = {"problem": "heat", "network": {"layers": [8, 8]},
            "training": {"timeWindows": 3, "collocationPoints": 100, "boundaryPoints": 20, "threads": 1,
                         "resampling": None, "phases": [{"optimizer": "adam", "iterations": 20}]},
            "output": {"grid": {"x": 9, "t": 7}}}
    job = client.submit(spec)
    job.wait(progress=False)
    model = job.model()
    assert model.document["format"] == "pinn-model/2" and len(model.document["windows"]) == 3
    seams = model.document["seams"]
    t = np.concatenate([np.linspace(0, 1, 13), seams, np.nextafter(seams, -np.inf)])
    x = np.linspace(0, 1, len(t))
    prediction = job.predict(x=x, t=t)
    np.testing.assert_allclose(model(x=x, t=t)["u"], prediction["u"], rtol=0, atol=1e-12)
    grid = job.solution(as_xarray=False)
    mesh = grid.points()
    np.testing.assert_allclose(model(x=mesh["x"], t=mesh["t"])["u"], grid["u"], rtol=0, atol=1e-12)
    # One history: phases count across windows (one phase per window here), iterations continue.
    losses = job.losses()
    assert set(losses["phase"].tolist()) == {0, 1, 2} and losses["iteration"][-1] == 60


def test_histories_are_structured_arrays_and_frames(finished: Job) -> None:
    losses = finished.losses()
    assert losses.dtype.names[:5] == ("iteration", "phase", "total", "pde", "initial")
    assert losses["iteration"].dtype == np.int64 and losses["phase"][-1] == 1
    # Iterations count across phases; a phase boundary records its iteration in both phases.
    assert np.all(np.diff(losses["iteration"]) >= 0) and np.all(np.diff(losses["phase"]) >= 0)
    errors = finished.errors()
    assert {"relativeL2", "u_relativeL2", "u_maxAbsError"} <= set(errors.dtype.names)
    assert errors["relativeL2"][-1] == pytest.approx(finished.info()["error"]["relativeL2"])
    slopes = finished.slopes(every=5)
    assert {"layer1_na", "layer2_na", "a0"} <= set(slopes.dtype.names)
    pandas = pytest.importorskip("pandas")
    frame = finished.losses(as_frame=True)
    assert isinstance(frame, pandas.DataFrame) and list(frame["iteration"]) == list(losses["iteration"])


def test_pictures_are_pngs_and_jupyter_shows_one(finished: Job) -> None:
    png = finished.picture("error", width=300, height=200)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 300
    assert finished._repr_png_()[:4] == b"\x89PNG"
    page = finished._repr_html_()
    assert "succeeded" in page and "data:image/png;base64," in page
    with pytest.raises(ValueError, match="picture: 'heat' is not one of"):
        finished.picture("heat")


def test_a_bad_spec_raises_with_every_field(client: Client) -> None:
    spec = tiny_burgers()
    spec["training"]["phases"][0]["optimizer"] = "sgd"
    spec["netwrok"] = {}
    with pytest.raises(PINNError) as raised:
        client.submit(spec)
    error = raised.value
    assert error.status == 400
    assert "training.phases[0].optimizer" in error.fields and "netwrok" in error.fields
    assert "training.phases[0].optimizer" in str(error) and "sgd" in str(error)


def test_an_unknown_preset_and_job_raise_the_servers_message(client: Client) -> None:
    with pytest.raises(PINNError) as raised:
        client.submit("navier")
    assert raised.value.status == 400 and "navier" in str(raised.value)
    with pytest.raises(PINNError) as missing:
        client.job("no-such-job")
    assert missing.value.status == 404 and "no job with id" in missing.value.message


def test_a_spec_file_and_a_preset_name_are_submitted(client: Client, tmp_path: Any) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_burgers(20)))
    job = client.submit(path)
    assert job.document["spec"]["network"]["layers"] == [8, 8]
    assert job.wait(progress=False)["status"] == "succeeded"
    assert "burgers" in client.presets() and client.preset("heat")["problem"]["inputs"]
    with pytest.raises(PINNError, match="cannot read the spec file"):
        client.submit(tmp_path / "missing.json")


def test_jobs_are_listed_by_status_and_cancelled(client: Client) -> None:
    long = client.submit(tiny_burgers(200_000))
    assert long.id in [job.id for job in client.jobs()]
    assert long.cancel()["status"] in ("running", "queued", "cancelled")
    deadline = time.monotonic() + 10
    while long.status() != "cancelled" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert long.status() == "cancelled"
    assert long.id in [job.id for job in client.jobs(status="cancelled")]
    assert long.id not in [job.id for job in client.jobs(status="succeeded")]


def test_a_deleted_job_is_gone_with_its_data(client: Client) -> None:
    job = client.submit(tiny_burgers(200_000))
    job.delete()
    assert job.id not in [listed.id for listed in client.jobs()]
    with pytest.raises(PINNError) as refused:
        job.status()
    assert refused.value.status == 404


def test_an_unreachable_server_raises_pinn_error() -> None:
    with pytest.raises(PINNError) as raised:
        Client("http://127.0.0.1:9").presets()
    assert raised.value.status is None and "cannot reach" in str(raised.value)


def test_wait_survives_kill_9_of_the_server(server: Any, client: Client) -> None:
    job = client.submit(tiny_burgers(12_000, log_every=5))
    losses: List[int] = []
    outcome: Dict[str, Any] = {}

    def follow() -> None:
        try:
            outcome["final"] = job.wait(progress=False, patience=60,
                                        on_event=lambda e: losses.append(e.data["iteration"]) if e.name == "loss" else None)
        except BaseException as error:   # noqa: BLE001 — handed to the test's thread
            outcome["error"] = error

    follower = threading.Thread(target=follow)
    follower.start()
    deadline = time.monotonic() + 30
    while (not losses or losses[-1] < 100) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert losses and losses[-1] >= 100, "the job did not start training"
    server.kill()
    killed_at = losses[-1]
    assert killed_at < 12_000, "the job ended before the kill: make it longer"

    time.sleep(1.0)   # the follower meets a dead server and keeps retrying
    server.start()
    follower.join(60)
    assert not follower.is_alive(), "wait did not return after the restart"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["final"]["status"] == "succeeded"
    stored = job.losses()["iteration"].tolist()
    # Resumed from a checkpoint, the job's history has a record every 5 iterations without a gap (the phase
    # boundary's twice, once per phase), and the follower received each record exactly once, in order.
    assert stored[0] == 0 and stored[-1] == 12_030 > killed_at and 0 <= np.diff(stored).min() <= np.diff(stored).max() <= 5
    assert losses == stored


def tiny_study(iterations: int = 60) -> Dict[str, Any]:
    """2 adaptive modes × 2 seeds of a Burgers job of a tenth of a second."""
    return {"name": "client test",
            "base": {"problem": "burgers", "network": {"layers": [8, 8]},
                     "training": {"collocationPoints": 200, "boundaryPoints": 20, "threads": 1, "evaluateEvery": 10,
                                  "phases": [{"optimizer": "adam", "iterations": iterations}]},
                     "output": {"grid": {"x": 16, "t": 5}}},
            "variations": {"network.adaptive": ["fixed", "layer"]},
            "seeds": 2}


def test_a_study_runs_and_its_summary_matches_its_jobs(client: Client) -> None:
    study = client.submit_study(tiny_study())
    assert isinstance(study, Study) and study.document["status"] in ("queued", "running", "finished")
    reports: List[Dict[str, Any]] = []
    report = study.wait(progress=True, poll=0.1, timeout=60, on_report=reports.append)
    assert report["status"] == "finished" and study.status() == "finished" and reports[-1] is report
    assert study.counts()["succeeded"] == 4
    assert study.id in [listed.id for listed in client.studies()]
    assert client.study(study.id).document["jobs"] == 4
    jobs = study.jobs()
    assert len(jobs) == 4 and all(job.status() == "succeeded" for job in jobs)

    table = study.summary(as_frame=False)
    assert isinstance(table, np.ndarray) and len(table) == 2
    assert list(table["network.adaptive"]) == ["fixed", "layer"]
    assert list(table["runs"]) == [2, 2] and list(table["succeeded"]) == [2, 2]
    assert "reached_1e-1" in (table.dtype.names or ())
    for row, cell in zip(table, report["cells"]):
        finals = [Job(client, run["id"]).errors()["relativeL2"][-1] for run in cell["runs"]]
        assert row["finalError_min"] == min(finals) and row["finalError_max"] == max(finals)
        assert row["finalError_median"] == (finals[0] + finals[1]) / 2
    frame = study.summary()
    assert list(frame.columns) == list(table.dtype.names or ()) and len(frame) == 2

    for x in ("seconds", "iteration"):
        assert study.picture(x=x, width=400, height=300)[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError):
        study.picture(x="loss")


def test_a_study_file_is_submitted_cancelled_and_deleted(client: Client, tmp_path: Any) -> None:
    path = tmp_path / "study.json"
    path.write_text(json.dumps(tiny_study(200_000)))
    study = client.submit_study(str(path))
    assert study.cancel()["counts"]["succeeded"] == 0
    deadline = time.monotonic() + 10
    while study.status() != "finished" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert study.counts()["cancelled"] == 4
    table = study.summary(as_frame=False)
    assert np.isnan(table["finalError_median"]).all() and list(table["succeeded"]) == [0, 0]
    ids = [job.id for job in study.jobs()]
    assert study.delete() == {"deleted": True, "id": study.id, "jobs": 4}
    assert study.id not in [listed.id for listed in client.studies()]
    assert not set(ids) & {job.id for job in client.jobs()}
    with pytest.raises(PINNError) as refused:
        study.report()
    assert refused.value.status == 404


def test_a_bad_study_raises_with_every_field(client: Client) -> None:
    bad = tiny_study()
    bad["variations"] = {"network.adaptive": ["fixed", "sideways"]}
    with pytest.raises(PINNError) as raised:
        client.submit_study(bad)
    assert raised.value.status == 400
    assert 'variations["network.adaptive"][1]' in raised.value.fields
