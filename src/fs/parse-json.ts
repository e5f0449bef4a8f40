/**
 * JSON.parse with errors that name the file, line and column. The fast path is JSON.parse; only on failure
 * do we load jsonc-parser to locate the error (Node 20's JSON.parse messages carry no position).
 */
import { InvalidJsonError } from '../errors.js';

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const DESCRIPTIONS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name (in double quotes) was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'nothing was expected after the end of the value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** Parse JSON text read from `file`; throws InvalidJsonError with 1-based line and column. */
export async function parseJson(text: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch (err) {
    const jsonc = await import('jsonc-parser');
    const errors: import('jsonc-parser').ParseError[] = [];
    jsonc.parse(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    const first = errors[0];
    if (!first) {
      // jsonc-parser found nothing (e.g. empty file); fall back to the start of the file.
      const detail = text.trim() === '' ? 'the file is empty' : (err as Error).message;
      throw new InvalidJsonError(file, 1, 1, detail);
    }
    const { line, column } = lineAndColumn(text, first.offset);
    const code = jsonc.printParseErrorCode(first.error);
    throw new InvalidJsonError(file, line, column, DESCRIPTIONS[code] ?? code);
  }
}
