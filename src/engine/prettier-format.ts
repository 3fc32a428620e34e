/**
 * Runs the project's own Prettier on a changed file, only when the project has a Prettier
 * config; otherwise recast's minimal reprint is kept as it is. Prettier output that fails
 * is ignored (the unformatted, already validated text stays).
 */
export async function formatWithProjectPrettier(absPath: string, text: string, before: string): Promise<string> {
  let prettier: typeof import('prettier');
  try {
    prettier = await import('prettier');
  } catch {
    return text;
  }
  const configFile = await prettier.resolveConfigFile(absPath).catch(() => null);
  if (!configFile) return text;
  try {
    const options = (await prettier.resolveConfig(absPath, { config: configFile })) ?? {};
    const formatted = await prettier.format(text, { ...options, filepath: absPath });
    // only take Prettier's output when the original was itself Prettier-clean: never reformat a file the user does not format
    const original = await prettier.format(before, { ...options, filepath: absPath });
    return original === before ? formatted : text;
  } catch {
    return text;
  }
}
