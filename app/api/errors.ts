// An error the API reports to the UI as `{code, message}` (never a stack trace).
import type { ApiError } from '../../shared/api.ts';

export class ApiFailure extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
  }
}
