package admin

import "github.com/gin-gonic/gin"

func (a *Console) itemsRoutes(g *gin.RouterGroup) {}
