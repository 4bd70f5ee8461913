import { isNpy, isSnapshot } from '@mphate/protocol';

/**
 * Import by dropping a snapshot or a bare .npy trace anywhere on the page, or through the file
 * picker. The file is checked for its magic bytes here (a quick, clear refusal of anything
 * else); the server validates it whole before storing anything.
 */
export function setupImport(options: {
  dropTarget: HTMLElement;
  fileInput: HTMLInputElement;
  upload: (bytes: ArrayBuffer, name: string) => Promise<void>;
  onError: (message: string) => void;
}): void {
  const { dropTarget, fileInput, upload, onError } = options;
  const handle = async (file: File): Promise<void> => {
    const bytes = await file.arrayBuffer();
    const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 16));
    if (!isSnapshot(head) && !isNpy(head)) {
      onError(`${file.name} is neither an M-PHATE snapshot nor a .npy file`);
      return;
    }
    try {
      await upload(bytes, file.name);
    } catch (error) {
      onError(`import of ${file.name} failed: ${(error as Error).message}`);
    }
  };
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void handle(file);
    fileInput.value = '';
  });
  let depth = 0;
  dropTarget.addEventListener('dragenter', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    depth++;
    dropTarget.classList.add('dragging');
  });
  dropTarget.addEventListener('dragover', (e) => {
    if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
  });
  dropTarget.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) dropTarget.classList.remove('dragging');
  });
  dropTarget.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    dropTarget.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (file) void handle(file);
  });
}
