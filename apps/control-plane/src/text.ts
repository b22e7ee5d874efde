/** A newline, NUL or other C0/DEL control character: what one-line values (names, credentials) must not hold. */
export const hasControlCharacters = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
};
