import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { verifyCredentials } from "@/lib/accounts";
import { settings } from "@/lib/settings";
import {
  blockedSeconds,
  clearFailures,
  passwordPolicy,
  recordFailure,
} from "@/lib/throttle";

const credentialsSchema = z.object({
  email: z.string().min(1).max(254),
  authHash: z.string().min(1).max(200),
});

class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: settings().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: {}, authHash: {} },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const throttleKey = `sign-in:${parsed.data.email.toLowerCase()}`;
        if ((await blockedSeconds(throttleKey)) > 0)
          throw new TooManyAttempts();

        const account = await verifyCredentials(
          parsed.data.email,
          parsed.data.authHash,
        );
        if (!account) {
          await recordFailure(throttleKey, passwordPolicy);
          throw new InvalidCredentials();
        }
        await clearFailures(throttleKey);
        return { id: account.id, email: account.email, name: account.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
