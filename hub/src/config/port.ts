import { z } from 'zod';

/** A TCP port; 0 takes any free one. */
export const port = z.number().int().min(0).max(65_535);
