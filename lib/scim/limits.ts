/** Size limits of SPEC 3.6; longer values get 400 invalidValue. */
export const MAX_EXTERNAL_ID_LENGTH = 300;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 256;
export const MAX_PATCH_OPERATIONS = 1000;
export const MAX_MEMBERS_PER_OPERATION = 10_000;
/** Request bodies above this size get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
