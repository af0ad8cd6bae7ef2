/**
 * The identity of the first seed story's first subject, as the demo loads it, and how to read it back from a store:
 * what the backup, restore and key-rotation tests check an identity against.
 */
import { IdentityVault, type StorageError, Subject } from "@lindung/core"
import { Stories } from "@lindung/seeds"
import { Effect, type Layer, Redacted, Schema } from "effect"

const story = Stories.all[0] as Stories.Story
const seeded = story.identities[0]
const registration = story.steps.find(
  (step) => step.command._tag === "RegisterReport" && step.command.caseId === seeded?.caseId
)?.command as { readonly subject?: string } | undefined

/** The name the demo stored for the subject. */
export const seededName: string | undefined = seeded?.identity.name

/** The name stored for that subject in the store of `storage` (opened with its key). */
export const storedName = <E>(storage: Layer.Layer<IdentityVault.IdentityVault, E>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const vault = yield* IdentityVault.IdentityVault
      const identity = yield* vault.get(Schema.decodeSync(Subject.SubjectId)(registration?.subject ?? ""))
      return Redacted.value(identity.name)
    }).pipe(Effect.provide(storage)) as Effect.Effect<string, E | StorageError.StorageError>
  )
