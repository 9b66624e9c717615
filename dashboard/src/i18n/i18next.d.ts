import 'i18next';
import type { ja } from './ja.js';
import type { jaStaff } from './ja-staff.js';

/** Keys of `t()` are checked against the Japanese catalogue (the staff words join it when a staff page loads). */
declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof ja & typeof jaStaff };
  }
}
