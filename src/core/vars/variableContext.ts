import type { OAuth2Config, OAuth2Token } from '../auth/oauth2';
import type { Exchange } from '../model/exchange';
import type { Clock, FileReader } from '../ports';
import type { EnvironmentSet } from './environments';
import type { Restriction } from './restriction';

/** The CSRF form field read by `{{name.response.csrf}}` when none is configured (Spring Security's). */
export const defaultCsrfFieldName = '_csrf';

/** The value given for a `# @prompt` variable. */
export interface PromptAnswer {
  readonly value: string;
  readonly secret: boolean;
}

/**
 * Everything variable resolution needs from the outside. The session provides the two callbacks.
 *
 * Precedence of a plain or chained name, high to low:
 *   `--var` overrides > the answers to this request's `# @prompt`s > set by a script (`request.variables.set`, then `client.global.set`)
 *   > request chaining (`name.response...`) > file variables (`@name = ...`)
 *   > the selected environment (private > public > `$shared`).
 * A value a script set at run time is the freshest, so it wins over what the files say (JetBrains lets
 * environment values win over `client.global`, which silently ignores a token a handler stored).
 * Names starting with `$` are always dynamic/system variables (`$uuid`, `$processEnv X`, `$cookie X`…).
 */
export interface VariableContext {
  /** Absolute path of the request file; includes and `.env` are relative to its directory. */
  readonly requestFile: string;
  /** Restricted Mode: files only from the workspace folder, no `$processEnv` / `$dotenv`. Absent: unrestricted. */
  readonly restriction?: Restriction;
  /** The selected environment; `undefined` uses only `$shared` values. */
  readonly environmentName?: string;
  readonly environments: EnvironmentSet;
  /** `--var name=value` from the CLI: literal values that win over everything. */
  readonly cliVariables?: Readonly<Record<string, string>>;
  /** What the user answered to this request's `# @prompt`s; `secret` answers are masked like private env values. */
  readonly promptAnswers?: ReadonlyMap<string, PromptAnswer>;
  readonly reader: FileReader;
  readonly clock: Clock;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** The latest exchange of the request named `name` in this session. */
  exchangeByName(name: string): Exchange | undefined;
  /** The jar's value of cookie `name` that would be sent to `url`. */
  cookieValue(name: string, url: string): string | undefined;
  /** A variable a script set: this request's `request.variables`, then the session's `client.global`. */
  scriptVariable?(name: string): string | undefined;
  /** The session's token for auth configuration `name` (acquired, reused or refreshed); absent: no token store. */
  authToken?(name: string, config: OAuth2Config): Promise<OAuth2Token>;
  /** Form field read by `{{name.response.csrf}}`; default `_csrf`. */
  readonly csrfFieldName?: string;
}
