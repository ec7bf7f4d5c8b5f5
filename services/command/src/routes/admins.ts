// Admin account management (owners only). The account itself lives in the command
// service's tables; each change is also appended as an event without secrets, so the
// audit trail and read models see it. The last owner can be neither demoted nor deleted.
import {
  AdminCreatedSchema,
  AdminDeletedSchema,
  AdminRoleChangedSchema,
  create,
} from '@nezuko/proto';
import { z } from 'zod';
import {
  countOwners,
  EmailTakenError,
  findAdmin,
  insertAdmin,
  listAdmins,
  publicAdmin,
  softDeleteAdmin,
  updateAdmin,
} from '../accounts/admins.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { revokeSessionsOf } from '../accounts/sessions.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.ts';
import { actorOf } from './actor.ts';
import { adminParams, adminView, email, password, role } from './adminSchemas.ts';
import type { RouteDeps } from './deps.ts';
import { telegramUserId } from './ids.ts';
import {
  defineRoute,
  noBody,
  noParams,
  type AnyCommandRoute,
  type CommandContext,
} from './route.ts';
import { toView } from './session.ts';

const createBody = z.strictObject({ email, role, password });
const updateBody = z
  .strictObject({
    role: role.optional(),
    password: password.optional(),
    telegram_user_id: telegramUserId.nullable().optional(),
  })
  .refine(
    (b) => b.role !== undefined || b.password !== undefined || b.telegram_user_id !== undefined,
    { message: 'send role, password or telegram_user_id' },
  );

function actingAs(ctx: CommandContext) {
  if (!ctx.principal) throw new Error('owner routes always have a principal');
  return actorOf(ctx.principal);
}

export function adminRoutes(deps: RouteDeps): AnyCommandRoute[] {
  const db = deps.db;
  const mustFind = async (id: string) => {
    const admin = await findAdmin(db, id);
    if (!admin) throw new NotFoundError(`no admin ${id}`);
    return admin;
  };
  const notLastOwner = async (current: { role: string }, what: string) => {
    if (current.role === 'owner' && (await countOwners(db)) <= 1)
      throw new ConflictError(`cannot ${what} the last owner; make someone else owner first`);
  };

  return [
    defineRoute({
      method: 'GET',
      path: '/admins',
      operationId: 'listAdmins',
      summary: 'List admin accounts',
      access: 'owner',
      resource: 'admin',
      params: noParams,
      body: noBody,
      status: 200,
      response: z.strictObject({ admins: z.array(adminView) }),
      async handle() {
        return { admins: (await listAdmins(db)).map(toView) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/admins',
      operationId: 'createAdmin',
      summary: 'Create an admin account',
      access: 'owner',
      resource: 'admin',
      params: noParams,
      body: createBody,
      status: 201,
      response: adminView,
      errors: { 409: 'An account with this email exists' },
      async handle({ body }, ctx) {
        const admin = await insertAdmin(db, {
          email: body.email,
          role: body.role,
          passwordHash: await hashPassword(body.password),
        }).catch((error: unknown) => {
          if (error instanceof EmailTakenError)
            throw new ConflictError('an admin with this email exists', 'email');
          throw error;
        });
        await ctx.append(
          'admin.created',
          create(AdminCreatedSchema, {
            adminId: admin.id,
            email: admin.email,
            role: admin.role,
            actor: actingAs(ctx),
          }),
        );
        ctx.audit({ resourceId: admin.id, newValue: { email: admin.email, role: admin.role } });
        return toView(admin);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/admins/:id',
      operationId: 'getAdmin',
      summary: 'One admin account',
      access: 'owner',
      resource: 'admin',
      params: adminParams,
      body: noBody,
      status: 200,
      response: adminView,
      async handle({ params }) {
        return toView(publicAdmin(await mustFind(params.id)));
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/admins/:id',
      operationId: 'updateAdmin',
      summary: "Change an admin's role or password",
      description: 'A new password signs the admin out everywhere. The last owner keeps the role.',
      access: 'owner',
      resource: 'admin',
      params: adminParams,
      body: updateBody,
      status: 200,
      response: adminView,
      async handle({ params, body }, ctx) {
        const current = await mustFind(params.id);
        const newRole = body.role;
        if (newRole !== undefined && newRole !== current.role && newRole !== 'owner')
          await notLastOwner(current, 'demote');
        await updateAdmin(db, params.id, {
          ...(newRole !== undefined ? { role: newRole } : {}),
          ...(body.password !== undefined
            ? { passwordHash: await hashPassword(body.password) }
            : {}),
          ...(body.telegram_user_id !== undefined ? { telegramUserId: body.telegram_user_id } : {}),
        });
        if (body.password !== undefined) await revokeSessionsOf(db, params.id, ctx.now);
        if (newRole !== undefined && newRole !== current.role) {
          await ctx.append(
            'admin.role_changed',
            create(AdminRoleChangedSchema, {
              adminId: current.id,
              email: current.email,
              oldRole: current.role,
              newRole,
              actor: actingAs(ctx),
            }),
          );
        }
        ctx.audit({
          resourceId: current.id,
          oldValue: { role: current.role },
          newValue: {
            role: newRole ?? current.role,
            ...(body.password !== undefined ? { password: 'changed' } : {}),
            ...(body.telegram_user_id !== undefined
              ? { telegram_user_id: body.telegram_user_id }
              : {}),
          },
        });
        return toView(publicAdmin(await mustFind(params.id)));
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/admins/:id',
      operationId: 'deleteAdmin',
      summary: 'Delete an admin account (signs it out everywhere)',
      access: 'owner',
      resource: 'admin',
      params: adminParams,
      body: noBody,
      status: 200,
      response: z.strictObject({ deleted: z.literal(true), id: z.string() }),
      async handle({ params }, ctx) {
        const current = await mustFind(params.id);
        if (ctx.principal?.adminId === current.id)
          throw new BadRequestError('you cannot delete your own account', 'id');
        await notLastOwner(current, 'delete');
        await softDeleteAdmin(db, current.id, ctx.now);
        await revokeSessionsOf(db, current.id, ctx.now);
        await ctx.append(
          'admin.deleted',
          create(AdminDeletedSchema, {
            adminId: current.id,
            email: current.email,
            actor: actingAs(ctx),
          }),
        );
        ctx.audit({
          resourceId: current.id,
          oldValue: { email: current.email, role: current.role },
        });
        return { deleted: true as const, id: current.id };
      },
    }),
  ];
}
