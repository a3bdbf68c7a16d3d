/** A file that is not a classic pcap file, or is cut short; the message says which. */
export class PcapFormatError extends Error {
  readonly code = 'ERR_MEMIF_CLI_PCAP_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'PcapFormatError';
  }
}
