/** @type {import("next").NextConfig} */
const nextConfig = {
  // Several builds may share one checkout (tests, benchmarks); each can name
  // its own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "nodemailer"],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
