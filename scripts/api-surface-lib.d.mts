/** The sorted runtime export names of a built module. */
export function runtimeNames(jsFile: string): Promise<string[]>;
/** Every exported name of a declaration file with its declaration, as comparable text. */
export function declarations(dtsFile: string): string;
