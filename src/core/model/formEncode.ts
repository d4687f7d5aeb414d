/** A value as `application/x-www-form-urlencoded` writes it (a space as `+`), as browsers and curl send forms. */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
