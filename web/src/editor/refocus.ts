/** After a delete the focused card is gone: focus goes back to the canvas (not the page), so Ctrl/Cmd+Z and arrows keep working. */
export const refocusCanvas = (): void => {
  requestAnimationFrame(() => {
    const pane = document.querySelector<HTMLElement>('[data-testid="canvas"] .react-flow');
    const lost = document.activeElement === document.body || document.activeElement === null || !document.activeElement.isConnected;
    if (pane && lost) pane.focus({ preventScroll: true });
  });
};
