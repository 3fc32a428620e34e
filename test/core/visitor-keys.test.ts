import { VISITOR_KEYS as BABEL_VISITOR_KEYS } from '@babel/types';
import { describe, expect, it } from 'vitest';
import { VISITOR_KEYS } from '../../src/parse/visitor-keys';

describe('the visitor-keys table detection walks by', () => {
  it('is the installed @babel/types table (after a Babel upgrade: npm run gen:visitor-keys)', () => {
    expect(VISITOR_KEYS).toEqual(BABEL_VISITOR_KEYS);
  });
});
