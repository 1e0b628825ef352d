import { ALERT_KINDS, type AlertEvent } from "../alerts/alert-event.ts";
import type { SavedJob } from "./diff-restore-jobs.ts";
import type { SentRecord } from "./state-store.ts";

interface StoredTypes {
  "saved job": SavedJob;
  "alert event": AlertEvent;
  "sent record": SentRecord;
}

type StoredType = keyof StoredTypes;

const VALIDATORS: { [T in StoredType]: (value: unknown) => boolean } = {
  "saved job": (value) => isObject(value) && typeof value.status === "string",
  "alert event": (value) =>
    isObject(value) &&
    (ALERT_KINDS as readonly unknown[]).includes(value.kind) &&
    typeof value.projectId === "string" &&
    typeof value.cluster === "string" &&
    typeof value.detectedAt === "string" &&
    isObject(value.job) &&
    typeof value.job.id === "string" &&
    typeof value.job.status === "string",
  "sent record": (value) =>
    isObject(value) &&
    typeof value.channel === "string" &&
    typeof value.ts === "string" &&
    typeof value.postedAt === "string",
};

/**
 * Parses one JSON value read from a Redis hash field and checks its shape. Throws an Error
 * naming the key and field when the value is not valid JSON or not the expected type, so
 * corrupt state stops the caller instead of being dropped.
 */
export function parseStoredValue<T extends StoredType>(
  type: T,
  key: string,
  field: string,
  raw: string,
): StoredTypes[T] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(
      `invalid JSON in Redis hash ${key} field ${field}: expected a ${type}. Fix or delete the field`,
      { cause: err },
    );
  }

  if (!VALIDATORS[type](value)) {
    throw new Error(
      `invalid ${type} in Redis hash ${key} field ${field}: the JSON lacks required fields. Fix or delete the field`,
    );
  }
  return value as StoredTypes[T];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
