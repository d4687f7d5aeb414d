/** True for the YAML request files (`*.http.yaml`, `*.http.yml`); every other name is read as `.http`. */
export function isYamlRequestFile(fileName: string): boolean {
  return /\.http\.ya?ml$/i.test(fileName);
}
