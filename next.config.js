/** @type {import("next").NextConfig} */
const nextConfig = {
  // Several builds may share one checkout (tests, benchmarks); each can name
  // its own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "nodemailer"],
  poweredByHeader: false,
  // Next writes agent instruction files into the project unless told not to.
  agentRules: false,
  experimental: { agentUpgrade: false },
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
