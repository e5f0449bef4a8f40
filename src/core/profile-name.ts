/**
 * AWS profile names taken from repo files are exported into the user's shell, so only a safe alphabet
 * passes: letters, digits and `_.+=,@-`, 1 to 128 characters. The shell hooks check the same rule again
 * before exporting (defence in depth).
 */
export const PROFILE_NAME_RULE = 'letters, digits and _.+=,@- only, 1 to 128 characters';

const PROFILE_NAME = /^[A-Za-z0-9_.+=,@-]{1,128}$/;

export function isValidProfileName(name: string): boolean {
  return PROFILE_NAME.test(name);
}
