// The book's CJK web font (jinchang-fonts.css, linked for print): on screen from the first paint
// on, so that downloading it, where no CJK font is installed, never holds up the page.
requestAnimationFrame(() => setTimeout(() => {
  const fonts = document.getElementById("jinchang-fonts");
  if (fonts) fonts.media = "all";
}));

// sphinx-copybutton words its buttons in the page's language when it loads, but has Chinese words
// for "zh-CN" only, and the Chinese edition's pages are "zh-Hans". Its buttons are made once the
// page is parsed, after this (deferred) script; the words of its icons are set already.
if (typeof messages === "object" && messages["zh-CN"] && document.documentElement.lang === "zh-Hans") {
  locale = "zh-CN";
  const titled = (icon, words) => icon.replace(/<title>[^<]*<\/title>/, `<title>${words}</title>`);
  iconCopy = titled(iconCopy, messages[locale].copy_to_clipboard);
  iconCheck = titled(iconCheck, messages[locale].copy_success);
}

// Numbers from data: keep each source tooltip inside the window, and on touch screens
// show it on the first tap (a second tap follows the link to the claim's row). A tap elsewhere,
// or Escape, closes it.
document.addEventListener("DOMContentLoaded", () => {
  const place = (link) => {
    const tip = link.querySelector(".data-tip");
    if (!tip) return;
    tip.style.left = "0px";
    const box = tip.getBoundingClientRect();
    const overflow = box.right - (document.documentElement.clientWidth - 8);
    if (overflow > 0) tip.style.left = `${-Math.min(overflow, box.left - 8)}px`;
  };
  // A closed tooltip stays hidden while its link keeps hover or focus (a tapped link keeps both),
  // until the link has neither.
  const close = (link) => {
    link.classList.remove("tip-open");
    link.classList.add("tip-shut");
  };
  for (const link of document.querySelectorAll("a.data-ref")) {
    link.addEventListener("mouseenter", () => place(link));
    link.addEventListener("focus", () => place(link));
    link.addEventListener("mouseleave", () => document.activeElement === link || link.classList.remove("tip-shut"));
    link.addEventListener("blur", () => link.matches(":hover") || link.classList.remove("tip-shut"));
    link.addEventListener("click", (event) => {
      if (!window.matchMedia("(hover: none)").matches || link.classList.contains("tip-open")) return;
      event.preventDefault();
      document.querySelectorAll("a.data-ref.tip-open").forEach((open) => open.classList.remove("tip-open"));
      link.classList.remove("tip-shut");
      link.classList.add("tip-open");
      place(link);
    });
  }
  // A tap outside the open tooltip's link only closes it: the tooltip covers the next lines, and
  // the tap that uncovers them must not follow a link or press a button there. Preventing the
  // pointerdown keeps the tap from focusing what it lands on; the click that follows is dropped.
  // A tap on another number opens its tooltip instead (its own click handler).
  let closing = false;
  document.addEventListener("pointerdown", (event) => {
    const open = document.querySelectorAll("a.data-ref.tip-open");
    closing = open.length > 0 && !event.target.closest?.("a.data-ref");
    if (!closing) return;
    event.preventDefault();
    open.forEach(close);
  }, true);
  document.addEventListener("pointercancel", () => { closing = false; }, true);  // a scroll: no click follows
  document.addEventListener("click", (event) => {
    if (!closing) return;
    closing = false;
    event.preventDefault();
    event.stopPropagation();
  }, true);
  // Escape closes a tooltip however it shows (tapped, hovered, focused), and leaves focus where it is.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll("a.data-ref.tip-open, a.data-ref:hover, a.data-ref:focus").forEach(close);
  });
});
