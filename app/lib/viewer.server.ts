import { PUBLIC_VIEWER, type Viewer } from "../../db/visibility";

/**
 * Who is asking. Until sign-in exists everyone is the public; the accounts issue replaces this
 * with the session's user, and every loader already asks here.
 */
export async function viewerOf(_request: Request): Promise<Viewer> {
  return PUBLIC_VIEWER;
}
