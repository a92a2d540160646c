/** Mantine colours of item and occurrence statuses. */
export const STATUS_COLORS: Record<string, string> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'blue',
  scheduled: 'green',
  queued: 'cyan',
  published: 'teal',
  failed: 'red',
  missed: 'red',
  cancelled: 'gray',
};
