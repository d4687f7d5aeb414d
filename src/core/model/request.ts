import type { RequestDirectives } from '../parse/directiveTable';
import type { Diagnostic, SourceRange } from './source';

/** A header as written in the file; `value` may still contain `{{variables}}`. */
export interface HeaderTemplate {
  readonly name: string;
  readonly value: string;
  readonly range: SourceRange;
}

/**
 * One piece of a request body, in order. A body is the concatenation of its segments:
 * literal text (may contain `{{variables}}`), or a file include (`< path` verbatim,
 * `<@ path` with variables substituted).
 */
export type BodySegment =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly range: SourceRange;
      /**
       * How values substituted for `{{variables}}` in this text are encoded; absent = inserted as they are.
       * YAML `form:` bodies set `form-urlencoded`: their literal text is already encoded, the values are not yet.
       */
      readonly encodeSubstitutions?: 'form-urlencoded';
    }
  | { readonly kind: 'file'; readonly path: string; readonly substitute: boolean; readonly range: SourceRange };

/** Per-request options set by `# @directive` lines (or YAML options): one field per row of the directive table. */
export type { RequestDirectives, RequestPrompt } from '../parse/directiveTable';


/** A JetBrains response handler or output redirect, kept but not executed. */
export interface ResponseHandler {
  /**
   * `script`: `> {% ... %}`; `scriptFile`: `> file.js`; `output`: `>> file` / `>>! file`; `reference`: `<> file`;
   * httpYac's `httpYacScript`: a `{{` … `}}` block, and `assertion`: `?? status == 200` (text: what follows `??`).
   */
  readonly kind: 'script' | 'scriptFile' | 'output' | 'reference' | 'httpYacScript' | 'assertion';
  readonly text: string;
  readonly range: SourceRange;
}

/** A `{{ ... }}` occurrence in the source, for diagnostics, hover and completion. */
export interface VariableReference {
  /** The expression between the braces, trimmed: `host`, `$uuid`, `login.response.body.$.token`. */
  readonly expression: string;
  /** Range of the whole `{{ ... }}`. */
  readonly range: SourceRange;
}

/**
 * A request as written, before variables are resolved. From a `.http` file it is a class instance whose
 * ranges and references are getters: copy it with `copyTemplate`, not with a spread.
 */
export interface RequestTemplate {
  /** `@name` value; used for chaining (`{{name.response...}}`) and `--name`. */
  readonly name?: string;
  /** Text after `###`, or the YAML `name` when it is not an identifier. */
  readonly title?: string;
  readonly method: string;
  /** URL with continuation lines joined; may contain `{{variables}}`. */
  readonly url: string;
  readonly httpVersion?: string;
  readonly headers: readonly HeaderTemplate[];
  readonly body?: readonly BodySegment[];
  readonly directives: Readonly<RequestDirectives>;
  readonly handlers: readonly ResponseHandler[];
  /** `< {% … %}` and `< ./file.js` above the request line (JetBrains): run before the request is resolved. Absent when none. */
  readonly preRequestScripts?: readonly ResponseHandler[];
  readonly variableReferences: readonly VariableReference[];
  /** The whole block, from its first line (comments and directives included) to its last. */
  readonly range: SourceRange;
  /** The request line: where the CodeLens and request-level diagnostics go. */
  readonly requestLineRange: SourceRange;
}

/**
 * `template` with `changes`. A request parsed from a `.http` file keeps its ranges and references in getters
 * (made when first read), which a spread (`{ ...template }`) does not copy: copy one with this.
 */
export function copyTemplate(template: RequestTemplate, changes: Partial<RequestTemplate>): RequestTemplate {
  return { ...template, range: template.range, requestLineRange: template.requestLineRange, variableReferences: template.variableReferences, ...changes };
}

/** The file's scripts in running order: its setup blocks, then each request's pre-request scripts and handlers. */
export function scriptsOf(file: ParsedFile): ResponseHandler[] {
  return [...(file.setupScripts ?? []), ...file.requests.flatMap((request) => [...(request.preRequestScripts ?? []), ...request.handlers])];
}

/** `@name = value` at file level. */
export interface FileVariable {
  readonly name: string;
  /** Raw value; may reference other variables. */
  readonly value: string;
  readonly range: SourceRange;
  readonly variableReferences: readonly VariableReference[];
}

/** The result of parsing one request file. */
export interface ParsedFile {
  readonly requests: readonly RequestTemplate[];
  readonly fileVariables: readonly FileVariable[];
  readonly diagnostics: readonly Diagnostic[];
  /** httpYac `{{ }}` blocks in a block without a request: run before every request of the file. Absent when none. */
  readonly setupScripts?: readonly ResponseHandler[];
}
