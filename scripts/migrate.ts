import { closeDatabase, migrateDatabase } from "@/db/client";
import { checkedSettings } from "@/lib/startup";

checkedSettings();
await migrateDatabase();
await closeDatabase();
console.log(JSON.stringify({ migrated: true }));
