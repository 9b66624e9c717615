import i18next from 'i18next';
import { enStaff } from '../i18n/en-staff.js';
import { jaStaff } from '../i18n/ja-staff.js';
import '../console.css';

// The staff console's words join the catalogue when the first staff page loads, so a volunteer's
// phone never downloads them (docs/dashboard.md, Size).
i18next.addResourceBundle('ja', 'translation', jaStaff, true, true);
i18next.addResourceBundle('en', 'translation', enStaff, true, true);
