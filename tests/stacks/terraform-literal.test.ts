import { fromTerraformLiteral, terraformLiteral } from '../../stacks/terraform-literal';

describe('terraformLiteral', () => {
  test('escapes the interpolation and directive openers in every string, keys included, and nothing else', () => {
    const object = { command: ['sh', '-c', 'cp "$1" "dest/${1##*/}"; echo %{x} $HOME {{ .Data.data.key }}'], '${key}': 1, on: true, none: null };
    expect(terraformLiteral(object)).toEqual({ command: ['sh', '-c', 'cp "$1" "dest/$${1##*/}"; echo %%{x} $HOME {{ .Data.data.key }}'], '$${key}': 1, on: true, none: null });
  });

  test('fromTerraformLiteral gives back the text Terraform passes on', () => {
    const text = 'a ${b} %{c} $${d}';
    expect(fromTerraformLiteral(terraformLiteral(text))).toBe(text);
  });
});
