// The book's CJK web font (jinchang-fonts.css, linked for print): on screen from the first paint
// on, so that downloading it, where no CJK font is installed, never holds up the page.
requestAnimationFrame(() => setTimeout(() => {
  const fonts = document.getElementById("jinchang-fonts");
  if (fonts) fonts.media = "all";
}));

// Numbers from data: keep each source tooltip inside the window, and on touch screens
// show it on the first tap (a second tap follows the link to the claim's row).
document.addEventListener("DOMContentLoaded", () => {
  const place = (link) => {
    const tip = link.querySelector(".data-tip");
    if (!tip) return;
    tip.style.left = "0px";
    const box = tip.getBoundingClientRect();
    const overflow = box.right - (document.documentElement.clientWidth - 8);
    if (overflow > 0) tip.style.left = `${-Math.min(overflow, box.left - 8)}px`;
  };
  for (const link of document.querySelectorAll("a.data-ref")) {
    link.addEventListener("mouseenter", () => place(link));
    link.addEventListener("focus", () => place(link));
    link.addEventListener("click", (event) => {
      if (!window.matchMedia("(hover: none)").matches || link.classList.contains("tip-open")) return;
      event.preventDefault();
      document.querySelectorAll("a.data-ref.tip-open").forEach((open) => open.classList.remove("tip-open"));
      link.classList.add("tip-open");
      place(link);
    });
  }
});
