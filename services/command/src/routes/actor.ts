// The actor recorded on events: who, in the domain's terms, caused the change.
import { ActorSchema, create, type Actor } from '@nezuko/proto';

export function actorOf(principal: { readonly email: string }): Actor {
  return create(ActorSchema, { who: { case: 'adminEmail', value: principal.email } });
}
