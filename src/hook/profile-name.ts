/** The rule lives in src/core/profile-name.ts; this path stays for the files issue 14 edits (until merged). */
export { isValidProfileName, PROFILE_NAME_RULE } from '../core/profile-name.js';
