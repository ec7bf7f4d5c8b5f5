// A page's Retry: load its server data again, and say so while that runs (the problem
// notices disable their button on `running`).
import { invalidateAll } from '$app/navigation';

export class PageReload {
  running = $state(false);

  run = async (): Promise<void> => {
    this.running = true;
    try {
      await invalidateAll();
    } finally {
      this.running = false;
    }
  };
}
