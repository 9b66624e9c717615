import type { RuleTypeInfo } from '@mimamori/contract';
import { Field, type FieldErrors } from '../components/fields.js';
import { inLang, t } from '../i18n/index.js';

/** The part of a JSON Schema (draft 2020-12, as zod writes it) a parameter form reads. */
interface PropertySchema {
  type?: 'number' | 'integer' | 'boolean';
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  default?: unknown;
}

const propertiesOf = (info: RuleTypeInfo): [string, PropertySchema][] =>
  Object.entries((info.params as { properties?: Record<string, PropertySchema> }).properties ?? {});

/**
 * A rule type's parameters as form fields, generated from the JSON Schema GET /api/rule-types
 * serves (issue 19 item 6): a number with its bounds and unit, a yes/no as a checkbox, each with
 * its label and help in the user's language and its default; a refusal shows beside its field.
 * Field names are the parameters' own (`durationMinutes`), so `readParams` can collect them.
 */
export function ParamFields({
  info,
  values,
  errors,
  prefix = 'body.params',
}: {
  info: RuleTypeInfo;
  values: Record<string, unknown>;
  errors: FieldErrors;
  prefix?: string;
}) {
  return (
    <div class="grid params">
      {propertiesOf(info).map(([name, schema]) => {
        const text = info.fields[name];
        const label = text ? inLang(text.label) : name;
        const unit = text?.unit ? inLang(text.unit) : '';
        const hint = [
          text?.help && inLang(text.help),
          t('rules.default', { value: `${String(schema.default)}${unit}` }),
        ]
          .filter(Boolean)
          .join('。');
        const error = errors[`${prefix}.${name}`];
        if (schema.type === 'boolean')
          return (
            <label class="choice" key={name}>
              <input type="checkbox" name={`param-${name}`} defaultChecked={Boolean(values[name] ?? schema.default)} />{' '}
              {label}
              <span class="hint">{hint}</span>
              {error && (
                <span class="field-error" role="alert">
                  {error}
                </span>
              )}
            </label>
          );
        return (
          <Field key={name} label={unit ? `${label}（${unit}）` : label} hint={hint} error={error}>
            <input
              type="number"
              name={`param-${name}`}
              step={schema.type === 'integer' ? 1 : 'any'}
              min={schema.minimum ?? schema.exclusiveMinimum}
              max={schema.maximum}
              defaultValue={String(values[name] ?? schema.default ?? '')}
              required
            />
          </Field>
        );
      })}
    </div>
  );
}

/** The parameters a form holds, typed as its schema says; `only` keeps those that differ from a base. */
export function readParams(
  info: RuleTypeInfo,
  form: FormData,
  only?: { differingFrom: Record<string, unknown> },
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, schema] of propertiesOf(info)) {
    const value =
      schema.type === 'boolean' ? form.has(`param-${name}`) : Number(String(form.get(`param-${name}`) ?? ''));
    if (!only || value !== (only.differingFrom[name] ?? schema.default)) params[name] = value;
  }
  return params;
}
