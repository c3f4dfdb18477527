/** Where the project's armored private key is kept (Secrets Manager in AWS, a file locally). */
export interface ProjectKeySource {
  armoredPrivateKey(): Promise<string>;
}
