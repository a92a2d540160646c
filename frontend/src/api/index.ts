// The only door to the Go side. Features import from here, never from wailsjs/.
export type {
  Api,
  AutomationsApi,
  CalendarApi,
  ConnectionsApi,
  ConsentApi,
  DashboardApi,
  EventsApi,
  ExportApi,
  GdprApi,
  ImportApi,
  MembersApi,
  NewslettersApi,
  PaintedScreen,
  SettingsApi,
  SyncApi,
  TasksApi,
  TeamApi,
  WindowApi,
  WorkspaceApi,
} from './api';
export { ApiProvider, useApi } from './context';
export * from './errors';
export * from './types';
export * from './segmentsApi';
