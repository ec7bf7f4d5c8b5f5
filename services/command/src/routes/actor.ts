// The actor recorded on events: who, in the domain's terms, caused the change.
import { ActorSchema, create, type Actor } from '@nezuko/proto';
import type { Principal } from '../auth.ts';

export function actorOf(principal: Principal): Actor {
  return create(ActorSchema, { who: { case: 'adminEmail', value: principal.email } });
}
