-- Members linked to an account without provisioned names take the account's
-- name, split at its first space, as the app now stores when it links them.
UPDATE "members" AS m SET
  "given_name" = CASE WHEN strpos(a."name", ' ') > 0
    THEN substr(a."name", 1, strpos(a."name", ' ') - 1) ELSE a."name" END,
  "family_name" = CASE WHEN strpos(a."name", ' ') > 0
    THEN substr(a."name", strpos(a."name", ' ') + 1) END,
  "formatted_name" = a."name"
FROM "accounts" AS a
WHERE a."id" = m."account_id" AND btrim(a."name") <> ''
  AND m."given_name" IS NULL AND m."family_name" IS NULL
  AND m."formatted_name" IS NULL;
--> statement-breakpoint
UPDATE "members" AS m SET "display_name" = a."name"
FROM "accounts" AS a
WHERE a."id" = m."account_id" AND btrim(a."name") <> ''
  AND m."display_name" IS NULL;
