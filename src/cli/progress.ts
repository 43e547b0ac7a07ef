import cliProgress from 'cli-progress';
import type { ProgressListener } from '../service/demo/load-demo.js';

/**
 * A progress reporter for long work: a bar on a terminal, plain lines otherwise (logs, CI, pipes).
 *
 * @example
 * const progress = createProgress(process.stderr);
 * await loadDemo(deps, actor, { onProgress: progress.listener });
 * progress.stop();
 */
export function createProgress(stream: NodeJS.WriteStream): {
  listener: ProgressListener;
  stop: () => void;
} {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    let phase = '';
    return {
      listener: (event) => {
        if (event.phase !== phase) {
          bar?.stop();
          phase = event.phase;
          bar = new cliProgress.SingleBar(
            { format: `${event.phase} [{bar}] {value}/{total}`, stream, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(event.total, event.done);
        } else {
          bar?.update(event.done);
        }
      },
      stop: () => bar?.stop(),
    };
  }
  return {
    listener: (event) => stream.write(`${event.phase}: ${event.done}/${event.total}\n`),
    stop: () => undefined,
  };
}
