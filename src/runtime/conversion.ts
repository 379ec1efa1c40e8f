/** What a sensor's converter hands to the batch ingester: a payload to validate, or a reason. */
import type { z } from "zod";
import type { RuntimePayloadSchema } from "./event.js";

/** A normalised payload before schema validation (defaults not yet applied). */
export type RuntimePayloadInput = z.input<typeof RuntimePayloadSchema>;

/** One sensor event converted, or why it could not be. Reasons never quote the event's content. */
export type SensorConversion =
  | {
      ok: true;
      /** Milliseconds since the epoch, from the sensor's own timestamp. */
      time: number;
      payload: RuntimePayloadInput;
      /** A stable id the sensor gave the event (falcosidekick's `uuid`), used instead of a content hash. */
      sourceId?: string;
      /** Fields cut to fit the schema's bounds, as dotted payload paths. */
      truncated: string[];
    }
  | { ok: false; reason: string };
