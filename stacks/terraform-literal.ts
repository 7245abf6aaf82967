/**
 * Terraform reads `${` and `%{` in any string of a configuration as the start of an
 * interpolation or a directive, even in JSON. Kubernetes objects and chart values hold such
 * text as plain data (a shell parameter expansion in a CronJob's command, say), so every string is
 * written escaped (`$${`, `%%{`) and Terraform hands the provider the text as written.
 */
export function terraformLiteral<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{') as T;
  if (Array.isArray(value)) return value.map((item) => terraformLiteral(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [terraformLiteral(key), terraformLiteral(item)])) as T;
  }
  return value;
}

/** The text a `terraformLiteral` string stands for: what Terraform passes on. */
export function fromTerraformLiteral<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{') as T;
  if (Array.isArray(value)) return value.map((item) => fromTerraformLiteral(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [fromTerraformLiteral(key), fromTerraformLiteral(item)])) as T;
  }
  return value;
}
