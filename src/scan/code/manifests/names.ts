/** Which file names are manifests or lockfiles: the one list the walker and the parsers share. */

const MANIFEST_NAMES = new Set([
  "pyproject.toml",
  "Pipfile",
  "Pipfile.lock",
  "poetry.lock",
  "uv.lock",
  "setup.cfg",
  "setup.py",
  "environment.yml",
  "environment.yaml",
  "package.json",
  "package-lock.json",
  "pnpm-lock.yaml",
  "yarn.lock",
  "go.mod",
  "go.sum",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "Gemfile",
  "gems.rb",
  "Gemfile.lock",
  "gems.locked",
  "Cargo.toml",
  "Cargo.lock",
]);

/** True for a file name (no directory) that `parseManifestFile` reads. */
export function isManifestName(name: string): boolean {
  return (
    MANIFEST_NAMES.has(name) ||
    // requirements.txt, requirements-dev.txt, and the prefixed spellings dev-requirements.txt
    // and vectordb.requirements.txt.
    /^([\w.-]+[-_.])?requirements[\w.-]*\.(txt|in)$/.test(name) ||
    /^[\w.-]+\.gemspec$/.test(name) ||
    // Alternate Gemfiles (`gemfiles/rails7.gemfile`, run through BUNDLE_GEMFILE by Appraisal and CI matrices).
    /^[\w.-]+\.gemfile$/.test(name) ||
    // Gradle version catalogs: gradle/libs.versions.toml and any other `*.versions.toml`.
    /^[\w-]+\.versions\.toml$/.test(name)
  );
}

/** A pip requirements file kept in a `requirements/` folder (`requirements/base.txt`, `requirements/dev.in`). */
export function isRequirementsFolderFile(rel: string): boolean {
  return /(^|\/)requirements\/[\w.-]+\.(txt|in)$/.test(rel);
}
