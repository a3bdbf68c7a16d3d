import { describe, expect, it } from 'vitest';
import { completeCommand } from './execute-command.ts';

describe('completeCommand', () => {
  it('completes command words from the syntax table', () => {
    expect(completeCommand('st')).toEqual(['start', 'stop']);
    expect(completeCommand('show port s')).toEqual(['stats']);
    expect(completeCommand('set fwd mac')).toEqual(['mac', 'macswap']);
    expect(completeCommand('set fwd lite')).toEqual(['lite-rxcopy']);
    expect(completeCommand('show port stats ')).toEqual(['all']);
    expect(completeCommand('bogus ')).toEqual([]);
  });
});
