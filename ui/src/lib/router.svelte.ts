// The current screen, kept in step with the location hash so that back/forward and links work.
import { defaultScreen, hashOf, routeFromHash, type ScreenId } from './routes';

class Router {
  current = $state<ScreenId>(defaultScreen);
  /** The application the `domanda` screen shows. */
  code = $state<string | null>(null);
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
    const route = routeFromHash(hash);
    if (route === null) {
      // An unknown address leads home rather than to an empty window.
      window.location.replace(hashOf(defaultScreen));
      this.current = defaultScreen;
      this.code = null;
    } else {
      this.current = route.screen;
      this.code = route.code;
    }
  }
}

export const router = new Router();
