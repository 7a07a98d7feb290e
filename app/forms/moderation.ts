// An administrator unpublishes a record, with the reason its owners are told.
import { z } from "zod";
import { requiredText } from "../lib/forms";

export const moderationSchema = z.object({ intent: z.literal("unpublish"), reason: requiredText(1000, 5) });
