// The current screen, kept in step with the location hash so that back/forward and links work.
import { defaultScreen, hashOf, screenFromHash, type ScreenId } from './routes';

class Router {
  current = $state<ScreenId>(defaultScreen);
  /** Counts navigations after the first screen, so the layout can move focus only then. */
  navigations = $state(0);

  constructor() {
    this.#follow(window.location.hash);
    window.addEventListener('hashchange', () => {
      this.#follow(window.location.hash);
      this.navigations += 1;
    });
  }

  #follow(hash: string): void {
    const screen = screenFromHash(hash);
    if (screen === null) {
      // An unknown address leads home rather than to an empty window.
      window.location.replace(hashOf(defaultScreen));
      this.current = defaultScreen;
    } else {
      this.current = screen;
    }
  }
}

export const router = new Router();
