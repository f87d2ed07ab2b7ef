#!/usr/bin/env python3
"""The dashboard in a real browser (issue 10's acceptance test).

Headless Chromium (Debian's `chromium` and `chromium-driver`, driven by Selenium) loads GET / from an already
running pinn-server whose store holds a finished Burgers job and a running one. For each job it opens the job's
panel and waits until the loss chart, the error chart, the slope chart, the heatmaps and the progress bar are
drawn, reads the canvases' pixels to see that lines were drawn, and, for the running job, that the loss chart
grows over the event stream. It also submits an invalid spec and checks that each issue is shown beside the
field it names. The browser's console must hold no error: every SEVERE entry fails the test, except the HTTP
answers the page expects and shows as placeholders (listed in EXPECTED_HTTP_ERRORS). Screenshots and a report
are written to --artifacts.

    scripts/browser-test.sh [--base-url http://127.0.0.1:8080] [--artifacts artifacts/browser] [--create-jobs]

--create-jobs submits the two jobs itself (a small Burgers job it waits for, then a long one it cancels at the
end); without it the newest succeeded Burgers job and the newest running job in the store are used. A study's page
is checked too: its cells table has a row per cell showing the report's median final errors, and its errors.png
is shown. With --create-jobs the test submits a study of 4 tiny jobs and waits for it; without, it uses the newest
finished study in the store and skips the check (saying so) when there is none.
"""
import argparse
import base64
import json
import os
import re
import shutil
import sys
import time
import traceback
import urllib.error
import urllib.request

# A small Burgers job that finishes in a few seconds, with N-LAAF slopes and frequent error evaluations.
FINISHED_SPEC = {
    "problem": "burgers",
    "network": {"layers": [10, 10, 10], "adaptive": "neuron", "scale": 10},
    "training": {"collocationPoints": 500, "boundaryPoints": 50, "threads": 1, "logEvery": 5, "evaluateEvery": 50,
                 "phases": [{"optimizer": "adam", "iterations": 300},
                            {"optimizer": "lbfgs", "iterations": 200, "trainSlopes": False}]},
    "output": {"grid": {"x": 64, "t": 25}},
}
# A Burgers job that keeps training for much longer than the test (it is cancelled at the end).
RUNNING_SPEC = {
    "problem": "burgers",
    "network": {"layers": [20, 20, 20], "adaptive": "layer", "scale": 10},
    "training": {"collocationPoints": 2000, "boundaryPoints": 100, "threads": 1, "logEvery": 10, "evaluateEvery": 100,
                 "phases": [{"optimizer": "adam", "iterations": 500000}]},
    "output": {"grid": {"x": 64, "t": 25}},
}

# HTTP errors the page asks for on purpose and shows as such: pictures and solutions before a running job's first
# checkpoint (409) or of a problem without an exact solution (404), and the invalid spec this test submits (400).
# Chromium logs each as a SEVERE "network" entry although no script failed.
EXPECTED_HTTP_ERRORS = [
    re.compile(r"/v1/jobs/[^/\s]+/(solution|exact|error)(\.png)?(\?\S*)? - Failed to load resource: "
               r"the server responded with a status of (404|409)"),
    re.compile(r"/v1/jobs - Failed to load resource: the server responded with a status of 400"),
]

# A study of 2 × 2 tiny Burgers jobs (a second or two in all).
STUDY_SPEC = {
    "name": "browser test",
    "base": {"problem": "burgers", "network": {"layers": [8, 8]},
             "training": {"collocationPoints": 200, "boundaryPoints": 20, "threads": 1, "evaluateEvery": 10,
                          "phases": [{"optimizer": "adam", "iterations": 100}]},
             "output": {"grid": {"x": 16, "t": 5}}},
    "variations": {"network.adaptive": ["fixed", "layer"]},
    "seeds": 2,
}

CANVASES = ["loss-chart", "error-chart", "slope-chart", "cut-chart"]
PICTURES = ["solution-img", "exact-img", "error-img"]


class TestFailure(Exception):
    pass


# MARK: - The server's API

def api(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read().decode(errors="replace")
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text


def status_code(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def problem_name(job):
    problem = (job.get("spec") or {}).get("problem")
    return problem if isinstance(problem, str) else (problem or {}).get("name")


def find_jobs(base):
    status, page = api(base, "GET", "/v1/jobs?limit=100")
    if status != 200:
        raise TestFailure(f"GET /v1/jobs answered {status}: {page}")
    jobs = page["jobs"]
    finished = next((j for j in jobs if j["status"] == "succeeded" and problem_name(j) == "burgers"), None)
    running = next((j for j in jobs if j["status"] == "running" and problem_name(j) == "burgers"), None) \
        or next((j for j in jobs if j["status"] == "running"), None)
    if not finished or not running:
        raise TestFailure("the server's store needs one succeeded Burgers job and one running job "
                          f"(found succeeded: {bool(finished)}, running: {bool(running)}); pass --create-jobs "
                          "to submit them")
    return finished["id"], running["id"]


def submit(base, spec):
    status, job = api(base, "POST", "/v1/jobs", spec)
    if status != 202:
        raise TestFailure(f"POST /v1/jobs answered {status}: {job}")
    return job["id"]


def wait_for_job(base, job_id, done, what, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, job = api(base, "GET", f"/v1/jobs/{job_id}")
        if status == 200 and done(job):
            return job
        if status == 200 and job["status"] in ("failed", "cancelled"):
            raise TestFailure(f"job {job_id} {job['status']} while waiting until it {what}: {job.get('failure')}")
        time.sleep(0.5)
    raise TestFailure(f"job {job_id} did not {what} within {timeout} s")


def create_study(base, timeout):
    status, study = api(base, "POST", "/v1/studies", STUDY_SPEC)
    if status != 202:
        raise TestFailure(f"POST /v1/studies answered {status}: {study}")
    print(f"submitted the study {study['id']}; waiting until it finishes")
    deadline = time.time() + max(timeout, 300)
    while time.time() < deadline:
        _, report = api(base, "GET", f"/v1/studies/{study['id']}")
        if report["status"] == "finished":
            return study["id"]
        time.sleep(0.5)
    raise TestFailure(f"study {study['id']} did not finish within {max(timeout, 300)} s")


def find_study(base):
    """The newest finished study in the store, or None."""
    _, page = api(base, "GET", "/v1/studies?limit=100")
    return next((s["id"] for s in (page or {}).get("studies", []) if s["status"] == "finished"), None)


def create_jobs(base, timeout):
    finished = submit(base, FINISHED_SPEC)
    print(f"submitted the finished job {finished}; waiting until it succeeds")
    wait_for_job(base, finished, lambda j: j["status"] == "succeeded", "succeed", max(timeout, 300))
    create_study(base, timeout)   # before the long job, which would keep the study's jobs queued
    running = submit(base, RUNNING_SPEC)
    print(f"submitted the running job {running}; waiting until it trains")
    wait_for_job(base, running, lambda j: j["status"] == "running" and j["progress"]["iteration"] > 0,
                 "start training", max(timeout, 300))
    return finished, running


# MARK: - The browser

def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                 "--disable-dev-shm-usage", "--force-device-scale-factor=1"]:
        options.add_argument(flag)
    binary = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not os.path.exists(binary) or not os.path.exists(driver_path):
        raise TestFailure(f"needs {binary} and {driver_path} (apt: chromium chromium-driver)")
    options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=driver_path))


class BrowserTest:
    def __init__(self, driver, base, artifacts, timeout):
        self.driver = driver
        self.base = base
        self.artifacts = artifacts
        self.timeout = timeout
        self.console = []
        self.checks = []

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def collect_console(self):
        for entry in self.driver.get_log("browser"):
            self.console.append(entry)

    def check(self, name, ok, detail=""):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        print(("  ok   " if ok else "  FAIL ") + name + (f" ({detail})" if detail else ""))
        if not ok:
            self.screenshot("failure")
            raise TestFailure(f"{name}: {detail}")

    def wait_until(self, name, condition, timeout=None, describe=None):
        """Polls a JavaScript expression until it is truthy; the check fails with `describe`'s state otherwise."""
        deadline = time.time() + (timeout or self.timeout)
        while True:
            value = self.js("return (" + condition + ");")
            if value:
                self.check(name, True, describe() if describe else "")
                return value
            if time.time() > deadline:
                self.check(name, False, f"not true after {timeout or self.timeout} s: {condition}"
                           + (f"; {describe()}" if describe else ""))
            time.sleep(0.25)

    def screenshot(self, name):
        """The whole page, also below the window's fold."""
        path = os.path.join(self.artifacts, name + ".png")
        try:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
            with open(path, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
        except Exception:  # an older driver without CDP: the visible part is still worth keeping
            self.driver.save_screenshot(path)
        print(f"  screenshot {path}")
        return path

    # Page state, read in the browser

    def chart(self, chart_id):
        return self.js("""
            const c = document.getElementById(arguments[0]);
            return c ? {drawn: c.dataset.drawn, points: Number(c.dataset.points || 0)} : null;""", chart_id)

    def pixels(self, chart_id):
        """Counts a canvas' pixels that are not white, and those with colour (the data lines; axes are grey)."""
        return self.js("""
            const c = document.getElementById(arguments[0]);
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let ink = 0, colour = 0;
            for (let i = 0; i < data.length; i += 4) {
              const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
              if (a > 0 && (r < 235 || g < 235 || b < 235)) ink++;
              if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) colour++;
            }
            return {ink, colour, total: data.length / 4};""", chart_id)

    def picture(self, img_id):
        return self.js("""
            const img = document.getElementById(arguments[0]);
            const placeholder = document.getElementById(arguments[0].replace('-img', '-placeholder'));
            return {loaded: img.dataset.loaded === 'true' && img.complete && img.naturalWidth > 0,
                    width: img.naturalWidth, height: img.naturalHeight,
                    placeholder: placeholder && !placeholder.hidden ? placeholder.textContent : null};""", img_id)

    def state(self):
        return json.dumps(self.js("""
            const s = {};
            for (const id of arguments[0]) { const c = document.getElementById(id); s[id] = c && [c.dataset.drawn, c.dataset.points]; }
            for (const id of arguments[1]) { const i = document.getElementById(id); s[id] = i && i.dataset.loaded; }
            s.progress = document.getElementById('progress-label').textContent;
            s.notice = document.getElementById('job-notice').hidden ? '' : document.getElementById('job-notice').textContent;
            return s;""", CANVASES, PICTURES))

    # The checks

    def open_dashboard(self):
        print("dashboard")
        self.driver.get(self.base + "/")
        self.wait_until("the page loads its script and lists jobs",
                        "document.querySelectorAll('#job-list [data-job-id]').length > 0")
        self.wait_until("the preset list is loaded", "document.querySelectorAll('#preset-select option[value]').length > 1"
                        " && document.getElementById('spec-editor').value.includes('\"problem\"')")
        self.screenshot("01-dashboard")
        self.collect_console()

    def check_submit_form(self):
        """An invalid spec: each issue appears beside its field, and the editor marks the line it names."""
        print("submit form")
        self.js("""
            const editor = document.getElementById('spec-editor');
            const spec = JSON.parse(editor.value);
            spec.netwrok = {};
            spec.training.phases[0].optimizer = 'sgd';
            editor.value = JSON.stringify(spec, null, 2);
            editor.dispatchEvent(new Event('input'));
            document.getElementById('submit-button').click();""")
        field = "training.phases[0].optimizer"
        self.wait_until("the server's issues are listed by field",
                        f"document.querySelector('.issue-group[data-field=\"{field}\"]') !== null"
                        " && document.querySelector('.issue-group[data-field=\"netwrok\"]') !== null")
        located = self.js("""
            const lines = document.getElementById('spec-editor').value.split('\\n');
            const expected = lines.findIndex((l) => l.includes('"optimizer": "sgd"')) + 1;
            const shown = document.querySelector('.issue-group[data-field="' + arguments[0] + '"] .issue-line').textContent;
            const marks = Array.from(document.querySelectorAll('#spec-marks div')).map((m) => Number(m.dataset.line));
            const flagged = Array.from(document.querySelectorAll('#spec-gutter .flagged')).map((g) => g.textContent);
            return {expected, shown, marks, flagged};""", field)
        self.check("the optimizer issue names the line it is on", located["shown"] == f"line {located['expected']}"
                   and located["expected"] in located["marks"], json.dumps(located))
        self.screenshot("02-submit-issues")
        self.collect_console()

    def open_job(self, job_id, label):
        self.js("location.hash = '#job=' + encodeURIComponent(arguments[0]);", job_id)
        self.wait_until(f"{label}: the job's panel opens",
                        "(() => { const v = document.getElementById('job-view');"
                        f" return !v.hidden && v.dataset.jobId === {json.dumps(job_id)}"
                        " && document.getElementById('job-status').textContent !== ''; })()")

    def check_charts(self, label, need_points):
        for chart_id in CANVASES:
            needs = chart_id in need_points
            condition = (f"document.getElementById('{chart_id}').dataset.drawn === 'true'"
                         + (f" && Number(document.getElementById('{chart_id}').dataset.points) > 0" if needs else ""))
            self.wait_until(f"{label}: #{chart_id} is drawn" + (" with data" if needs else ""), condition,
                            describe=lambda c=chart_id: f"{self.chart(c)['points']} points")
            points = self.chart(chart_id)["points"]
            if points > 0:
                # Lines are coloured, axes and text grey; one or two points are drawn as dots (and legend swatches).
                pixels = self.pixels(chart_id)
                self.check(f"{label}: #{chart_id} shows coloured lines", pixels["colour"] >= (100 if points > 2 else 50)
                           and pixels["ink"] < pixels["total"], json.dumps(pixels))

    def check_progress(self, label):
        self.wait_until(f"{label}: the progress bar has a width",
                        "document.getElementById('progress-bar').getBoundingClientRect().width > 0",
                        describe=lambda: self.js("return document.getElementById('progress-label').textContent;"))

    def check_pictures(self, label, job_id, required):
        """Every heatmap loads; for a running job without a checkpoint yet, its placeholder shows instead."""
        deadline = time.time() + self.timeout
        while True:
            states = {img: self.picture(img) for img in PICTURES}
            if all(s["loaded"] for s in states.values()):
                self.check(f"{label}: the three heatmaps are drawn", True,
                           ", ".join(f"{k} {s['width']}x{s['height']}" for k, s in states.items()))
                return
            if time.time() > deadline:
                break
            time.sleep(0.5)
        checkpoint = status_code(self.base, f"/v1/jobs/{job_id}/solution.png?width=100&height=100")
        if not required and checkpoint == 409 and all(s["loaded"] or s["placeholder"] for s in states.values()):
            self.check(f"{label}: no checkpoint yet, so the heatmaps show their placeholders", True)
            return
        self.check(f"{label}: the three heatmaps are drawn", False,
                   f"solution.png answers {checkpoint}; page: {json.dumps(states)}")

    def check_live_updates(self, label, job_id):
        before = self.chart("loss-chart")["points"]
        self.wait_until(f"{label}: the loss chart grows over the event stream",
                        f"Number(document.getElementById('loss-chart').dataset.points) > {before}"
                        " || ['succeeded', 'failed', 'cancelled'].includes(document.getElementById('job-status').textContent)",
                        timeout=min(self.timeout, 45),
                        describe=lambda: f"{before} \u2192 {self.chart('loss-chart')['points']} points")

    def check_job(self, job_id, label, finished):
        print(f"{label} job {job_id}")
        _, job = api(self.base, "GET", f"/v1/jobs/{job_id}")
        adaptive = ((job.get("spec") or {}).get("network") or {}).get("adaptive", "fixed")
        # Every chart has data once the job has finished, except the slopes of a fixed activation (there are none);
        # a running job has loss (and slope) records, but perhaps no error evaluation or checkpoint yet.
        need_points = ["loss-chart"] + (["slope-chart"] if adaptive != "fixed" else [])
        if finished:
            need_points += ["error-chart", "cut-chart"]
        self.open_job(job_id, label)
        self.check_progress(label)
        self.check_charts(label, need_points)
        self.check_pictures(label, job_id, required=finished)
        if not finished:
            self.check_live_updates(label, job_id)
        time.sleep(0.5)  # the last redraw
        self.screenshot(f"{'03' if finished else '04'}-{label}-job")
        self.collect_console()

    def check_study(self, study_id):
        print(f"study {study_id}")
        _, report = api(self.base, "GET", f"/v1/studies/{study_id}")
        self.wait_until("the study is in the sidebar's list",
                        f"document.querySelector('#study-list [data-study-id=\"{study_id}\"]') !== null")
        self.js("location.hash = '#study=' + encodeURIComponent(arguments[0]);", study_id)
        cells = len(report["cells"])
        self.wait_until(f"the study's page shows its {cells} cells",
                        f"!document.getElementById('study-view').hidden"
                        f" && document.getElementById('study-cells').dataset.rows === '{cells}'")
        text = self.js("return document.getElementById('study-cells').textContent;")
        medians = [cell["finalError"]["median"] for cell in report["cells"]]
        shown = [f"{m:.3g}" if 1e-3 <= abs(m) < 1e5 else f"{m:.2e}".replace("e+", "e") for m in medians]
        self.check("the cells table shows each cell's label and median final error",
                   all(cell["label"] in text for cell in report["cells"])
                   and all(str(float(s)) in text or s in text for s in shown), f"medians {shown}")
        self.wait_until("the study's errors.png is shown",
                        "document.getElementById('study-errors-img').dataset.loaded === 'true'",
                        describe=lambda: json.dumps(self.picture("study-errors-img")))
        self.screenshot("05-study")
        self.collect_console()

    def save_console(self):
        self.collect_console()
        with open(os.path.join(self.artifacts, "console.json"), "w") as file:
            json.dump(self.console, file, indent=2)

    def check_console(self):
        self.save_console()
        errors, expected = [], []
        for entry in self.console:
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            (expected if any(p.search(message) for p in EXPECTED_HTTP_ERRORS) else errors).append(message)
        print("console")
        for message in expected:
            print(f"  (expected HTTP answer) {message}")
        self.check("the page logs no error", not errors, "; ".join(errors[:5]) or f"{len(self.console)} entries")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8080")
    parser.add_argument("--artifacts", default="artifacts/browser")
    parser.add_argument("--create-jobs", action="store_true",
                        help="submit a small Burgers job, wait for it, then a long one (cancelled at the end)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for each condition")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    os.makedirs(args.artifacts, exist_ok=True)

    created_running = None
    driver = None
    test = None
    try:
        if api(base, "GET", "/healthz")[0] != 200:
            raise TestFailure(f"no healthy server at {base}")
        if args.create_jobs:
            finished, running = create_jobs(base, args.timeout)
            created_running = running
        else:
            finished, running = find_jobs(base)
        study = find_study(base)
        driver = make_driver()
        test = BrowserTest(driver, base, args.artifacts, args.timeout)
        test.open_dashboard()
        test.check_submit_form()
        test.check_job(finished, "finished", finished=True)
        test.check_job(running, "running", finished=False)
        if study:
            test.check_study(study)
        else:
            print("  SKIPPED the study's page: no finished study in the store (--create-jobs submits one)")
        test.check_console()
    except TestFailure as failure:
        print(f"browser test FAILED: {failure}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"browser test FAILED: cannot reach {base}: {error.reason}", file=sys.stderr)
        return 1
    except Exception as error:  # the browser or its driver broke: say so plainly, with the trace
        traceback.print_exc()
        print(f"browser test FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    finally:
        if test is not None:
            with open(os.path.join(args.artifacts, "report.json"), "w") as file:
                json.dump({"baseURL": base, "checks": test.checks}, file, indent=2)
            try:
                test.save_console()
            except Exception as error:  # the browser is gone: the report above still stands
                print(f"could not read the browser's console: {error}", file=sys.stderr)
        if driver is not None:
            driver.quit()
        if created_running:
            api(base, "POST", f"/v1/jobs/{created_running}/cancel")
    print(f"browser test passed: {len(test.checks)} checks; screenshots in {args.artifacts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
