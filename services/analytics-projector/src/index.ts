// @nezuko/analytics-projector: the projector as an embeddable core (the service itself
// runs from main.ts). The read model's schema lives in the `./read-model` entry.
export { PROJECTION, startProjector, type Projector, type ProjectorDeps } from './app.ts';
// The event -> activity record translation, shared so live pushes and the read model agree.
export {
  toVerificationRecord,
  type EventMeta,
  type VerificationRecord,
} from './projection/records.ts';
