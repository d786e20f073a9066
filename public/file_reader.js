// Reads slices of a file the user picked, for the engine worker
// (app/src/blobs.rs, `Reader`), on a thread of its own: a read with
// FileReaderSync or Blob.arrayBuffer() in the engine worker moves its data
// on that worker's thread, which is busy parsing the chunk before. Each
// message { file, start, end } is answered with the slice's bytes,
// transferred, or { error } in the browser's words. It says { ready }
// first: the engine reads for itself until it has.
const reader = new FileReaderSync();
postMessage({ ready: true });
onmessage = ({ data: { file, start, end } }) => {
  try {
    const buffer = reader.readAsArrayBuffer(file.slice(start, end));
    postMessage(buffer, [buffer]);
  } catch (e) {
    postMessage({ error: `${e.name}: ${e.message}` });
  }
};
