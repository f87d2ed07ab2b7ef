// The API token field at the top of the page (docs/api.md, "Authentication").
import { auth, storeToken } from './api.js';
import { $ } from './dom.js';

/** Shows whether a token is set and, after a 401, that one is 'needed' or was 'refused'. */
function showTokenState(problem) {
  $('token-form').classList.toggle('refused', Boolean(problem));
  $('token-state').textContent = problem === 'needed' ? 'token needed' : problem === 'refused' ? 'token refused'
    : auth.token ? 'token set' : '';
}

/** Use stores the token (an empty field forgets it) and calls `changed`, which reloads what the page shows. */
export function setUpTokenForm(changed) {
  const input = $('token-input');
  input.value = auth.token;
  auth.onProblem = showTokenState;
  showTokenState(null);
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    storeToken(input.value.trim());
    showTokenState(null);
    changed();
  });
}
