import type { ParsedFile } from '../model/request';
import { parseHttpFile } from './httpParser';
import { parseYamlRequestFile } from './yamlParser';

/** True for the YAML request files (`*.http.yaml`, `*.http.yml`). */
export function isYamlRequestFile(fileName: string): boolean {
  return /\.http\.ya?ml$/i.test(fileName);
}

/** Parses a request file of either syntax, chosen by its name. */
export function parseRequestFile(text: string, fileName: string): ParsedFile {
  return isYamlRequestFile(fileName) ? parseYamlRequestFile(text) : parseHttpFile(text);
}
