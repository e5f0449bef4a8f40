import { describe, expect, test } from 'vitest';
import { geoPrefixesForRegion, parseModelId, regionFit, suggestForRegion } from '../../src/core/model-id.js';

describe('model ids', () => {
  test.each([
    ['us.anthropic.claude-sonnet-4-6', 'inference-profile', 'us'],
    ['us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0', 'inference-profile', 'us-gov'],
    ['global.anthropic.claude-opus-4-6-v1', 'inference-profile', 'global'],
    ['apac.anthropic.claude-sonnet-4-20250514-v1:0', 'inference-profile', 'apac'],
    ['jp.anthropic.claude-haiku-4-5-20251001-v1:0', 'inference-profile', 'jp'],
    ['au.anthropic.claude-sonnet-4-5-20250929-v1:0', 'inference-profile', 'au'],
    ['eu.anthropic.claude-sonnet-4-6', 'inference-profile', 'eu'],
    ['anthropic.claude-3-haiku-20240307-v1:0', 'foundation-model', undefined],
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6', 'arn', 'us'],
    ['arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6', 'arn', undefined],
    ['arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', 'arn', undefined],
    ['sonnet', 'alias', undefined],
    ['opusplan', 'alias', undefined],
    ['claude-sonnet-4-6', 'invalid', undefined],
    ['ca.anthropic.claude-sonnet-4-6', 'invalid', undefined],
    ['arn:aws:s3:::bucket', 'invalid', undefined],
    ['', 'invalid', undefined],
  ])('%s is %s', (id, kind, geo) => {
    const p = parseModelId(id);
    expect(p.kind).toBe(kind);
    expect(p.geo).toBe(geo);
    if (kind === 'invalid') expect(p.reason).toBeTruthy();
  });

  test('geography prefixes per region', () => {
    expect(geoPrefixesForRegion('us-east-1')).toEqual(['us', 'global']);
    expect(geoPrefixesForRegion('eu-central-1')).toEqual(['eu', 'global']);
    expect(geoPrefixesForRegion('ap-northeast-1')).toEqual(['jp', 'apac', 'global']);
    expect(geoPrefixesForRegion('ap-southeast-2')).toEqual(['au', 'apac', 'global']);
    expect(geoPrefixesForRegion('ap-south-1')).toEqual(['apac', 'global']);
    expect(geoPrefixesForRegion('us-gov-west-1')).toEqual(['us-gov']);
    expect(geoPrefixesForRegion('cn-north-1')).toEqual([]);
  });

  test('region fit and suggestions', () => {
    expect(regionFit(parseModelId('us.anthropic.claude-sonnet-4-6'), 'us-west-2')).toEqual({ fits: true });
    expect(regionFit(parseModelId('global.anthropic.claude-sonnet-4-6'), 'eu-west-3')).toEqual({
      fits: true,
    });
    expect(regionFit(parseModelId('us.anthropic.claude-sonnet-4-6'), 'us-gov-west-1')).toMatchObject({
      fits: false,
    });
    expect(regionFit(parseModelId('jp.anthropic.claude-sonnet-4-6'), 'ap-south-1')).toMatchObject({
      fits: false,
    });
    expect(
      regionFit(
        parseModelId('arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc'),
        'eu-west-3',
      ),
    ).toEqual({ fits: false, reason: 'the ARN is in eu-west-1 but the region in effect is eu-west-3' });
    expect(suggestForRegion('us.anthropic.claude-sonnet-4-6', 'ap-northeast-1')).toBe(
      'jp.anthropic.claude-sonnet-4-6',
    );
    expect(suggestForRegion('us.anthropic.claude-sonnet-4-6', 'us-east-2')).toBeUndefined();
  });
});
