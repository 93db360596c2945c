//! The window's first size and place, from the screen it opens on: the size of
//! `tauri.conf.json` centred in the work area (the screen less its panels and taskbars) when
//! that holds it whole, title bar included; otherwise the whole work area, maximised. A laptop
//! at 1366×768 or 1024×700 then opens the window on screen, never taller than it.
//!
//! The window is created hidden (`"visible": false`) and shown here once placed, so it never
//! flashes at a size that does not fit.

use tauri::{
    LogicalSize, Monitor, PhysicalPosition, PhysicalRect, PhysicalSize, Runtime, WebviewWindow,
};

/// What a window manager adds around the page, in logical pixels (borders; title bar): the
/// configured size is the page's, so the screen must hold it plus this.
const FRAME: LogicalSize<f64> = LogicalSize {
    width: 16.0,
    height: 48.0,
};

/// Where the window goes and how large its page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub position: PhysicalPosition<i32>,
    pub size: PhysicalSize<u32>,
    /// Maximised: the screen is smaller than the default size.
    pub maximised: bool,
}

/// The placement of a window of `default` (logical) size on a screen whose work area is `area`
/// (physical pixels, at `scale`).
pub fn placement(default: LogicalSize<f64>, scale: f64, area: PhysicalRect<i32, u32>) -> Placement {
    let needed: PhysicalSize<u32> =
        LogicalSize::new(default.width + FRAME.width, default.height + FRAME.height)
            .to_physical(scale);
    if area.size.width < needed.width || area.size.height < needed.height {
        return Placement {
            position: area.position,
            size: area.size,
            maximised: true,
        };
    }
    let size: PhysicalSize<u32> = default.to_physical(scale);
    let offset = |room: u32, used: u32| i32::try_from((room - used) / 2).unwrap_or(0);
    Placement {
        position: PhysicalPosition::new(
            area.position.x + offset(area.size.width, size.width),
            area.position.y + offset(area.size.height, size.height),
        ),
        size,
        maximised: false,
    }
}

/// Places `window` (of `default` logical size) on its screen and shows it. It is shown even
/// when no screen can be read or placing fails: a window too large beats no window.
pub fn fit_and_show<R: Runtime>(
    window: &WebviewWindow<R>,
    default: LogicalSize<f64>,
) -> tauri::Result<()> {
    if let Some(monitor) = screen_of(window) {
        let place = placement(default, monitor.scale_factor(), *monitor.work_area());
        // Without a window manager (or before it answers) maximising does nothing: the size
        // and position set first already fit.
        let placed = window
            .set_size(place.size)
            .and_then(|()| window.set_position(place.position))
            .and_then(|()| {
                if place.maximised {
                    window.maximize()
                } else {
                    Ok(())
                }
            });
        if let Err(err) = placed {
            eprintln!("sportello-desktop: impossibile adattare la finestra allo schermo: {err}");
        }
    }
    window.show()
}

/// The screen the window is on; a hidden window may not know it yet, then the primary one,
/// then any.
fn screen_of<R: Runtime>(window: &WebviewWindow<R>) -> Option<Monitor> {
    window
        .current_monitor()
        .ok()
        .flatten()
        .or_else(|| window.primary_monitor().ok().flatten())
        .or_else(|| {
            window
                .available_monitors()
                .ok()
                .and_then(|all| all.into_iter().next())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: LogicalSize<f64> = LogicalSize {
        width: 1200.0,
        height: 780.0,
    };

    fn area(x: i32, y: i32, width: u32, height: u32) -> PhysicalRect<i32, u32> {
        PhysicalRect {
            position: PhysicalPosition::new(x, y),
            size: PhysicalSize::new(width, height),
        }
    }

    #[test]
    fn a_large_screen_centres_the_default_size_in_its_work_area() {
        // 1920×1080 less a 40 px panel at the top.
        let place = placement(DEFAULT, 1.0, area(0, 40, 1920, 1040));
        assert_eq!(
            place,
            Placement {
                position: PhysicalPosition::new(360, 170),
                size: PhysicalSize::new(1200, 780),
                maximised: false,
            }
        );
    }

    #[test]
    fn a_screen_shorter_than_the_window_and_its_title_bar_maximises_it() {
        for (width, height) in [(1366, 768), (1024, 700), (1280, 800)] {
            let place = placement(DEFAULT, 1.0, area(0, 0, width, height));
            assert!(place.maximised, "{width}×{height}");
            assert_eq!(place.size, PhysicalSize::new(width, height));
            assert_eq!(place.position, PhysicalPosition::new(0, 0));
        }
    }

    #[test]
    fn the_frame_is_counted_and_the_work_area_is_kept_at_its_place() {
        // Exactly the page plus its frame: centred at the default size.
        let fits = placement(DEFAULT, 1.0, area(100, 0, 1216, 828));
        assert!(!fits.maximised);
        assert_eq!(fits.position, PhysicalPosition::new(108, 24));
        // One pixel short: maximised over the work area, a left panel's width kept.
        let short = placement(DEFAULT, 1.0, area(100, 0, 1216, 827));
        assert_eq!(short.position, PhysicalPosition::new(100, 0));
        assert!(short.maximised);
    }

    #[test]
    fn a_scaled_screen_is_compared_in_its_own_pixels() {
        // A 2560×1440 screen at 200%: 1280×720 logical, shorter than the window.
        assert!(placement(DEFAULT, 2.0, area(0, 0, 2560, 1440)).maximised);
        // 3840×2160 at 150%: 2560×1440 logical, room for the window at 1.5 times its size.
        let place = placement(DEFAULT, 1.5, area(0, 0, 3840, 2160));
        assert!(!place.maximised);
        assert_eq!(place.size, PhysicalSize::new(1800, 1170));
        assert_eq!(place.position, PhysicalPosition::new(1020, 495));
    }
}
