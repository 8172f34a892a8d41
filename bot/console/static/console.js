// 网格哨 指挥台: the little JavaScript the console needs (menu on phones, confirm risky actions).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-toggle]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var target = document.getElementById(btn.getAttribute("data-toggle"));
      if (target) { target.classList.toggle("open"); }
    });
  });
  document.querySelectorAll("form.action-reject, form.action-resolve").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var label = form.querySelector("button").textContent;
      if (!window.confirm("确认" + label + "该工单？")) { ev.preventDefault(); }
    });
  });
});
