import postgres from "postgres";
import { maintenanceUrl } from "./database-url";

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

export async function createDatabase(url: string) {
  const admin = postgres(maintenanceUrl(url), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${databaseName(url)}"`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string) {
  const admin = postgres(maintenanceUrl(url), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(
      `drop database if exists "${databaseName(url)}" with (force)`,
    );
  } finally {
    await admin.end();
  }
}
